"""The editorial layer: review workflow, quality gates, translation status, the module
builder, the editor's dashboard and scheduled publishing. It sits above the content apps
(it reads modules, lessons, quizzes and archive entries); no app imports it."""
