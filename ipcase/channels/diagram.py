"""The workflow diagram, drawn from the same transition table the engine executes.

States are laid out in columns by their distance from the initial state (breadth-first), and
every state-changing move is an arrow; the case's current state and the moves out of it are
highlighted. Output is plain data for the SVG template (no inline styles: the CSP forbids them)."""

from collections import deque
from dataclasses import dataclass
from typing import Any

from ipcase.channels.workflow import Workflow

BOX_W, BOX_H, COL_GAP, ROW_GAP, PAD = 150, 40, 60, 18, 12
#: a move possible from this many states or more is listed under the diagram, not drawn
GLOBAL_MOVE = 4


@dataclass(frozen=True)
class Node:
    state: str
    label: Any
    x: int
    y: int
    is_current: bool
    is_closed: bool


@dataclass(frozen=True)
class Edge:
    path: str
    is_from_current: bool
    label: Any


def layout(workflow: Workflow, initial: str, current: str, label_of: Any) -> dict[str, Any]:
    global_moves = [t for t in workflow.transitions if t.target and len(workflow.sources_of(t)) >= GLOBAL_MOVE]
    edges = [(s, d, t) for s, d, t in workflow.edges() if t not in global_moves]
    succ: dict[str, list[str]] = {}
    for src, dst, _t in edges:
        succ.setdefault(src, []).append(dst)
    level = {initial: 0}
    queue = deque([initial])
    while queue:
        s = queue.popleft()
        for d in succ.get(s, []):
            if d not in level:
                level[d] = level[s] + 1
                queue.append(d)
    states = [s.value for s in workflow.states]
    unreached = [s for s in states if s not in level]
    last = max(level.values(), default=0)
    for s in unreached:  # reached only by moves from many stages (listed below): a column of their own
        level[s] = last + 1
    columns: dict[int, list[str]] = {}
    for s in states:
        columns.setdefault(level[s], []).append(s)
    pos: dict[str, tuple[int, int]] = {}
    for col, members in columns.items():
        for row, s in enumerate(members):
            pos[s] = (PAD + col * (BOX_W + COL_GAP), PAD + row * (BOX_H + ROW_GAP))
    nodes = [Node(s, label_of(s), pos[s][0], pos[s][1], s == current, s in workflow.closed) for s in states]
    drawn = []
    seen = set()
    for src, dst, t in edges:
        if (src, dst) in seen or src == dst:
            continue
        seen.add((src, dst))
        (x1, y1), (x2, y2) = pos[src], pos[dst]
        sx, sy = x1 + BOX_W, y1 + BOX_H // 2
        ex, ey = x2, y2 + BOX_H // 2
        if x2 <= x1:  # backwards or same column: loop below the boxes
            sx, sy, ex = x1 + BOX_W // 2, y1 + BOX_H, x2 + BOX_W // 2
            ey = y2 + BOX_H
            depth = max(sy, ey) + 30
            path = f"M{sx},{sy} C{sx},{depth} {ex},{depth} {ex},{ey}"
        else:
            mid = (sx + ex) // 2
            path = f"M{sx},{sy} C{mid},{sy} {mid},{ey} {ex},{ey}"
        drawn.append(Edge(path, src == current, t.label))
    width = PAD * 2 + (max(columns) + 1) * (BOX_W + COL_GAP)
    height = PAD * 2 + max(len(m) for m in columns.values()) * (BOX_H + ROW_GAP) + 40
    notes = [
        {
            "label": t.label,
            "target": label_of(t.target),
            "is_from_current": current in workflow.sources_of(t),
            "sources": [label_of(x) for x in states if x in workflow.sources_of(t)],
        }
        for t in global_moves
    ]
    return {
        "nodes": nodes,
        "edges": drawn,
        "width": width,
        "height": height,
        "box_w": BOX_W,
        "box_h": BOX_H,
        "notes": notes,
    }
