-- wrk script: GET with the bearer token $WRK_TOKEN.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("WRK_TOKEN")
