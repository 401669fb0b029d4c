"""Data in and out without loss: the importers and exporters that the commands and the admin both call.

An importer is a reader and a writer (`Importer`). The reader turns a file into
`Line`s, each either a record or the reason it cannot be one; the writer is a
service that writes the records as the importing user. `run_import` joins
them the same way for every format:

- the policy is asked first (only editors import);
- the whole file is read and checked before anything is written; a bad line
  stops the import with the file's name, the line number and the reason, and
  nothing is written, unless `skip_bad`: then the good lines are imported and
  the bad ones written, with their reasons, to a rejects file;
- everything is written in one transaction; a dry run does it all and rolls it back;
- every run, whatever its end, leaves an ImportRun row saying how it went.
"""

from claims.textfiles import BadFile
from claims.transfer.runs import IMPORTERS, Importer, ImportFailed, Line, Written, run_import

__all__ = ["IMPORTERS", "BadFile", "ImportFailed", "Importer", "Line", "Written", "run_import"]
