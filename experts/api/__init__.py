"""The experts app's API endpoints (`/api/v1/experts/`): the public directory of referenced experts."""
