"""pytest puts this folder on sys.path (rootdir conftest, prepend import mode), so every test,
whatever its folder, imports the shared helpers as `support`."""
