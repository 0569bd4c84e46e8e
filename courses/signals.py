"""What the courses app tells the apps above it, without knowing them (they may not be imported here).

``enrolment_completed`` is sent once an enrolment's completion has been committed (the first time it
is completed, not when a completion is recorded again): ``user_id`` and ``course_key`` (the module
across its translations). The programme answers it by reviewing the training-of-trainers cohorts that
assign the module.
"""

from django.dispatch import Signal

enrolment_completed = Signal()
