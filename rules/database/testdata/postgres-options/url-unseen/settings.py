import os

import dj_database_url

# want "built from the URL in .DATABASE_URL, which no file in the repository sets"
DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
