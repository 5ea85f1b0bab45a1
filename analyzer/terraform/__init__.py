"""The Terraform loader: root modules, module calls and instances, resources, to the model."""
