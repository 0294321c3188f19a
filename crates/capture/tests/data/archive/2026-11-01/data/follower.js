window.YTD.follower.part0 = [
  {
    "follower": {
      "accountId": "783214",
      "userLink": "https://twitter.com/intent/user?user_id=783214"
    }
  }
]