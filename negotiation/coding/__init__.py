"""Coding aids: how two coders' versions of the same positions agree (and, later, import and suggestions).

This floor sits beside the engine: it reads loaded positions and never renders or prints.
"""
