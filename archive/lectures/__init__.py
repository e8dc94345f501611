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
- spans.py     which segments an item spans (section, range, clip) and content hashes
- talk_items.py    adding whole sections, ranges of segments and recorded clips
- script_blocks.py a passage as printed blocks (bold labels, lists, tables, footnotes)
- office_style.py  zh-CN language tags and document properties of .docx/.pptx
- exports.py   one export function for web and CLI (docx, pptx, ics, pdf via LibreOffice)
- lecture_command.py   `archive lecture export`
- docx_export.py, pptx_export.py, ics_export.py, charts.py   outputs
"""
