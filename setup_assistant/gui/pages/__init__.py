"""One module per wizard page; each page gets the WizardModel (and any service it needs) passed in."""
