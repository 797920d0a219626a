"""What tests share, and what bench/ shares with them. No tests here.

- answers: answer sets by rulebook keys and codes, `answers(**changes)`, `fired(result)`;
- questionnaire: take the questionnaire over HTTP with the test client;
- accounts: sign up, open the emailed confirmation link, log in (allauth's forms);
- bad_input: reach a step quickly, post to it, recognise a form error page;
- assessments: saved assessments built straight from the scoring (no questionnaire);
- query_budgets: the data and the measurement behind tests/serving/test_query_budgets.py;
- browser_questionnaire, browser_tour: what a person does in Chromium (tests/browser/);
- skips: `needs(tool, why)` skip reasons and the end-of-run summary of suites not run;
- live, faults: a real gunicorn over loopback HTTP, simulated people and the reliability
  scenarios; bench/*.py import these, and tests/serving/test_faults.py runs the quick versions.

live and faults need no Django (bench/ runs them outside the test run), only the rulebook.
"""
