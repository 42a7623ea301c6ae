"""Imported by the stage forkserver: loads the NLP model and gazetteer once, before children fork.

Every child forked from the server then starts with them in memory (copy-on-write), so a
child that was killed for overrunning its time limit is replaced in milliseconds.
"""

from streams.extraction.stage import warm_up

warm_up()
