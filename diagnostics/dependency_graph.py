"""Cycles in the dependencies between recommendations (`depends_on` in a referential file).

An iterative depth-first walk: a hostile file with a long chain of dependencies cannot exhaust
Python's recursion limit."""


def cycles(edges):
    """Each cycle of the graph `{node: [nodes it depends on]}` once, as the list of its nodes starting
    from the smallest, the cycles in order."""
    found, state = set(), {}  # state: 1 while on the walk's path, 2 once fully explored
    for start in sorted(edges):
        if state.get(start) == 2:
            continue
        state[start] = 1
        stack = [(start, iter(edges.get(start, [])))]
        path = [start]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = 2
            elif state.get(child) == 1:
                cycle = path[path.index(child) :]
                smallest = cycle.index(min(cycle))
                found.add(tuple(cycle[smallest:] + cycle[:smallest]))
            elif state.get(child) is None:
                state[child] = 1
                path.append(child)
                stack.append((child, iter(edges.get(child, []))))
    return [list(cycle) for cycle in sorted(found)]
