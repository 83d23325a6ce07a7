"""Values and rules: locations, variables, readings, consensus, users, roles."""
