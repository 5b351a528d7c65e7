# The scratch Django project the settings under test are loaded into.
