"""WTForms classes, one per page that takes input, with govuk-frontend-wtf widgets."""
