"""Pages of the provincial administrator (Quản trị tỉnh): the province's structure — collection
organisations and agents, BHXH cơ sở offices, association units and leaders, users, campaigns — and the
history of each. Pages only: each calls one service or selector of the app that owns the model."""
