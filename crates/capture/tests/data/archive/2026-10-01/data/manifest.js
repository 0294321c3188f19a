window.__THAR_CONFIG = {
  "userInfo": {
    "accountId": "900000000000000001",
    "userName": "reciprocity_viewer",
    "displayName": "Viewer"
  },
  "archiveInfo": {
    "sizeBytes": "4096",
    "generationDate": "2026-10-01T09:30:00.000Z",
    "isPartialArchive": false,
    "maxPartSizeBytes": "53687091200"
  },
  "readmeInfo": {
    "fileName": "data/README.txt",
    "directory": "data/",
    "name": "README.txt"
  },
  "dataTypes": {
    "follower": {
      "files": [
        {
          "fileName": "data/follower.js",
          "globalName": "YTD.follower.part0",
          "count": "3"
        }
      ]
    },
    "following": {
      "files": [
        {
          "fileName": "data/following.js",
          "globalName": "YTD.following.part0",
          "count": "2"
        }
      ]
    },
    "account": {
      "files": [
        {
          "fileName": "data/account.js",
          "globalName": "YTD.account.part0",
          "count": "1"
        }
      ]
    }
  }
}