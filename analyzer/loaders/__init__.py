"""One loader per input format; each turns a unit into model objects."""
