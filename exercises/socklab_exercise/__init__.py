# SPDX-License-Identifier: MIT
"""socklab-exercise: fill-in-the-blank exercises cut from the kit's marked
lab solutions, and a grader that runs the kit's own checks on a student's
programs.  Python 3 standard library only."""
