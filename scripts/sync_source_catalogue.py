"""Fill the Indonesian catalogue: msgids are written in Bahasa Indonesia, so each translation is its msgid.

Run by `make translations-update` after extraction; the English catalogue is translated by hand.
"""

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

path = Path(sys.argv[1] if len(sys.argv) > 1 else "translations/id/LC_MESSAGES/messages.po")
with path.open("rb") as fh:
    catalog = read_po(fh)
filled = 0
for message in catalog:
    if not message.id:
        continue
    if isinstance(message.id, tuple):  # Indonesian has one plural form
        wanted = tuple([message.id[0]] * catalog.num_plurals)
    else:
        wanted = message.id
    if message.string != wanted or message.fuzzy:
        message.string = wanted
        message.flags.discard("fuzzy")
        filled += 1
with path.open("wb") as fh:
    write_po(fh, catalog, width=100, omit_header=False)
print(f"{path}: {filled} entries set to their msgid")
