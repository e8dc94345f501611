"""Lecture planning for the speaker corps (宣讲团): plans kept as `lectures/<id>.md`,
timed, checked against the archive, suggested, exported (script, .docx, .pptx,
.ics) and logged when delivered.  See docs/lectures.md for the file format.

- plan.py      the plan value (front matter <-> LecturePlan)
- files.py     reading and writing plan files (LectureStore)
- timing.py    speaking time at N characters a minute
- review.py    a plan resolved for one reader: texts, times, checks, citations
- plan_editing.py   changes to a plan (add, reorder, trim, remove, deliver)
- deliveries.py   delivery logs: repeats at a venue, the dashboard figures
- talk_suggest.py   proposed segments for an audience, theme and length
- docx_export.py, pptx_export.py, ics_export.py, charts.py   outputs
"""
