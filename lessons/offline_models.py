"""Receipts of replayed requests: what makes offline heartbeats and quiz answers idempotent.

A lesson downloaded for offline use keeps the learner's heartbeats and quiz submissions in the
browser (IndexedDB) until the connection returns; the service worker then sends each beat with
a client-generated id (header ``X-Takwin-Replay-Id``). The server notes that id in the same
transaction as the write it caused, so a beat sent twice (a lost answer, a second replay)
changes nothing the second time: not the position, not the time spent, not the last beat's
time. Quiz answers need no receipt: an attempt is graded once, and answers sent again find it
closed.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReplayReceipt(models.Model):
    """One client-generated request id, already applied for this learner."""

    class Kind(models.TextChoices):
        HEARTBEAT = "heartbeat", _("Heartbeat")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="replay_receipts")
    key = models.UUIDField(_("request id"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The row the request wrote (the lesson, for a heartbeat).
    object_id = models.PositiveBigIntegerField(_("object id"))
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("replay receipt")
        verbose_name_plural = _("replay receipts")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="unique_replay_receipt")]

    def __str__(self):
        return f"{self.user_id} · {self.kind} · {self.key}"
