"""apply, verify, rollback: carry out a plan against AWS, check the result, and undo it.

`commands` is the library entry (`run_apply`, `run_verify`, `run_rollback`); `executor` runs steps in
dependency order; `kinds/` holds one small class per plan step kind (execute, verify, undo); `journal`
is the append-only record that makes every run resumable and every creation undoable.
"""
