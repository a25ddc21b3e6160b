"""framework stage of nqp_text: the CAICT 新质生产力 framework as validated data.

Example:
    >>> from nqp_text.framework import load_framework
    >>> [c.zh for c in load_framework().categories][:3]
    ['新型劳动对象', '新型劳动资料', '新型劳动者']
"""

from nqp_text.framework.model import (
    Category,
    Framework,
    FrameworkError,
    Group,
    TermGroup,
    default_framework_path,
    framework_from_dict,
    load_framework,
)

__all__ = ["Category", "Framework", "FrameworkError", "Group", "TermGroup",
           "default_framework_path", "framework_from_dict", "load_framework"]
