"""How resources of the Terraform AWS provider act, whichever way their arguments were read
(HCL evaluation or plan JSON): see docs/architecture.md."""
