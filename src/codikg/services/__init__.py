"""What pages and the API need, written once, store-agnostic; routers call these."""
