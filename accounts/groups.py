"""Names of the groups created by migration; the code refers to them only through these."""

EDITORS = "Editors"
TRAINERS = "Trainers"
LEARNERS = "Learners"
REVIEWERS = "Reviewers"
