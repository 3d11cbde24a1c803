"""Views of the regions app, thin: parse, check the rule, call a selector or a service, render.

- officer.py: programmes, enrolment decisions, expenses, experts (officers of the region and staff);
- company.py: the programmes open to a company, applying, my applications (company members);
- dashboard.py: the regional and national dashboards and their exports.
"""
