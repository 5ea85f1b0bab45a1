"""Plan mode with the configuration the plan was made from: `file:line` locations, suppression
comments, and selection fields the plan knows only after apply, read from the HCL."""
