"""The diagnostics app's API endpoints (`/api/v1/`): referential versions (public), a company's
diagnostics with their scores, and the answers (autosave), through the app's selectors, rules and
services like its pages."""
