# uploads over 50 MB spool to a temporary file; Django still accepts any size
FILE_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
