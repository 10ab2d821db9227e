"""The public app's routes: pages for anyone, without signing in."""

PUBLIC = {"public:index", "public:policy"}
