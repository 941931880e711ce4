"""The decision wizard: what is asked, by whom and for what, then the outcome. Pages are thin;
which page comes next is asked of ``app.policy.decision.next_step``."""
