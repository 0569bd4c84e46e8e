"""Demo content for trying Takwin: ``manage.py load_demo``.

Installed in the development and test settings only. It builds accounts, pages, themes,
communes, modules and archive entries through the apps' own services and helpers, and
generates its media with ``media_pipeline.ffmpeg``; no runtime app imports it.
"""
