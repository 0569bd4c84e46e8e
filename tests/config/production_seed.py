"""Pages for the production-serving test, written with whatever settings the process runs under.

Run as ``python -m tests.config.production_seed`` with ``config.settings.production`` and a
migrated database: both home pages with their catalogue and archive index (the demo's own
helper), and one live module with a lesson (the suite's factory).
"""

import django


def run() -> None:
    """Create the home pages, the archive index and the module ``/courses/gis/``."""
    from demo import home as home_demo
    from tests.courses.factories import make_course

    home_demo.load()
    make_course(slug="gis", lessons=1, title="نظم المعلومات الجغرافية")


if __name__ == "__main__":
    django.setup()
    run()
