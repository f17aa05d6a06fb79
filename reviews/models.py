# The community models (profiles, reviews, collections) arrive with the community issue.
