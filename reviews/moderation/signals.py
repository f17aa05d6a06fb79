"""What moderation tells the rest of the site, once a decision has committed.

The moderation app imports none of the apps it moderates: an app that wants to act on
a decision (the community's notifications) connects to these from its AppConfig.ready().
"""

from django.dispatch import Signal

# A moderator changed a post: sent with item, kind (the moderated kind's name), author,
# action ("hide", "restore" or "spoiler") and reason, after the change commits.
post_decided = Signal()

# A moderator silenced or suspended a member: sent with member, action ("silence" or
# "suspend"), until and reason, after the change commits.
member_restricted = Signal()
