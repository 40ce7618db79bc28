"""Expert, technical-investigator and mediator pools: profiles, declarations and the recusal rules."""
