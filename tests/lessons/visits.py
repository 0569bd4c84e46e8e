"""Opening a lesson as the learner's browser does: the GET, then the page's one beat on load."""

import re

_VIEW_URL = re.compile(r'data-lesson-view-url="([^"]+)"')


def open_lesson(client, lesson, **extra):
    """GET ``lesson`` and, when the page asks for it (``data-lesson-view-url``), post the visit
    as lesson-progress.js does. Returns the page's response."""
    response = client.get(lesson.url, **extra)
    match = _VIEW_URL.search(response.content.decode())
    if match:
        client.post(match.group(1))
    return response
