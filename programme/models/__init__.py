"""The training programme's models, one module per part of a session's life.

- ``plan``: the plan year's page and the session page (an archive activity: one record, never a copy);
- ``sessions``: what programme staff run (status, capacity, half-days, quotas, linked modules), shared by
  the session's two language pages;
- ``registrations``: who registered, the waiting list, and attendance per half-day;
- ``evaluations``: attendees' evaluation of a held session;
- ``cohorts``: the training-of-trainers cycle;
- ``figures``: what the figures keep of a deleted person's online completions.
"""

from .cohorts import Cohort, CohortMember
from .evaluations import Evaluation
from .figures import ErasedCompletion
from .plan import PlanPage, SessionPage
from .registrations import Attendance, Registration
from .sessions import Audience, HalfDay, Quota, Session, SessionModule, SessionStatus

__all__ = [
    "Attendance", "Audience", "Cohort", "CohortMember", "ErasedCompletion", "Evaluation", "HalfDay", "PlanPage", "Quota",
    "Registration", "Session", "SessionModule", "SessionPage", "SessionStatus",
]
