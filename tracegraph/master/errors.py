from core.errors import TracegraphError


class InvalidMasterData(TracegraphError):
    status = 422
    slug = "invalid-master-data"
    title = "Invalid master data"
