"""Community writes, one module per area; ``safeward.community.services`` re-exports them."""
