"""Print `make mutate`'s table (issue 18): per core module, how many mutants mutmut made, how many
the tests killed, how many survived, the score, then every surviving mutant by name.

Reads `mutmut results --all true` (one line "    <module>.x_<function>__mutmut_<n>: <status>").
Show one surviving change with `.venv/bin/mutmut show <name>`.
"""
import subprocess
import sys
from collections import defaultdict

MODULES = ["pathway.timescales", "pathway.queues.rules", "pathway.reports.definitions",
           "pathway.reports.suppression", "pathway.reports.facts", "pathway.workflow", "pathway.services"]
KILLED = {"killed", "timeout", "caught by type check", "segfault"}
NOT_RUN = {"not checked", "skipped", "check was interrupted by user", "suspicious"}


def module_of(name):
    for module in sorted(MODULES, key=len, reverse=True):
        if name.startswith(module + "."):
            return module
    return None


def main(mutmut):
    out = subprocess.run([mutmut, "results", "--all", "true"], capture_output=True, text=True, check=True)
    counts = defaultdict(lambda: defaultdict(int))
    survivors = defaultdict(list)
    for line in out.stdout.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        module = module_of(name) if sep else None
        if module is None:
            continue
        status = status.strip()
        kind = "killed" if status in KILLED else "not run" if status in NOT_RUN else status
        counts[module][kind] += 1
        if kind in ("survived", "no tests"):
            survivors[module].append(f"{name} ({status})")
    print(f"{'module':32} {'mutants':>8} {'killed':>7} {'survived':>9} {'not run':>8} {'score':>7}")
    for module in MODULES:
        c = counts.get(module)
        if not c:
            print(f"{module:32} {'(not run)':>8}")
            continue
        run = c["killed"] + c["survived"] + c["no tests"]
        total = sum(c.values())
        score = f"{100 * c['killed'] / run:.1f}%" if run else "-"
        print(f"{module:32} {total:>8} {c['killed']:>7} {c['survived'] + c['no tests']:>9} {c['not run']:>8} {score:>7}")
    for module in MODULES:
        if survivors[module]:
            print(f"\nSurviving in {module} (see: mutmut show <name>):")
            for s in survivors[module]:
                print("   ", s)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".venv/bin/mutmut")
