"""Texts written for these tests (a made-up town), long enough to need several chunks."""

SHORT = (
    "The town council of Millbrook voted on Tuesday to rebuild the old library on Elm Street. "
    "The project will cost 2.4 million dollars and should be finished by next autumn. "
    "The new building will have a reading garden, a children's room and twelve public computers. "
    "During the work, books can be borrowed from a temporary branch in the school gym."
)

PARAGRAPHS = [
    "Millbrook's library opened in 1911 in a brick house given to the town by a retired sea captain. "
    "For decades it held fewer than ten thousand books, and the librarian lived upstairs with her cat.",
    "By the 1990s the building was too small. The roof leaked every spring, the wiring could not carry "
    "modern computers, and the stairs kept out anyone who could not climb them.",
    "In 2021 a group of parents started collecting signatures for a new library. They gathered four "
    "thousand names in two months and presented them to the council in a wheelbarrow.",
    "The council asked an architect, Dana Ruiz, to study the old house. She found that the walls were "
    "sound but the floors would have to be replaced and an elevator added at the back.",
    "Her plan keeps the brick front and adds a glass wing facing the river. The wing holds a children's "
    "room, a quiet study hall and a workshop with sewing machines and a 3D printer.",
    "Money came from three sources: a state grant of one million dollars, a town bond of one million, "
    "and four hundred thousand dollars raised by a bake sale, a fun run and private gifts.",
    "Some residents objected to the cost. At a heated meeting in March, a farmer argued that the roads "
    "needed repair more urgently, and the vote was postponed for a month.",
    "In April the council approved the project by five votes to two. Work starts in June; the library "
    "moves to the school gym until the new building opens next autumn.",
    "The builders found a surprise in June: a sealed room behind the chimney, full of ship logs and maps "
    "that had belonged to the sea captain. The town museum took them for safekeeping.",
    "The discovery delayed the work by three weeks. Historians from the state university came to read "
    "the logs, which describe whaling voyages to the Pacific between 1870 and 1890.",
    "Meanwhile the temporary library in the gym proved popular. Children liked the high ceilings, and "
    "the basketball hoops were used to hang paper lanterns made in craft classes.",
    "Volunteers moved forty thousand books in boxes carried by a line of people passing them hand to "
    "hand down Elm Street. The chain was more than a mile long and took a whole Saturday.",
    "In September the glass wing was closed in before the first frost. Electricians installed solar "
    "panels on the roof, which should cover about half of the building's power needs.",
    "The elevator arrived late from the factory, which pushed the opening from October to November. "
    "The council said the extra cost would be paid from the private gifts, not from taxes.",
    "The library reopened on the first Saturday of November with a parade, a brass band and a reading "
    "from the captain's logs by the oldest resident of the town, who was one hundred and two.",
    "In its first month the new library lent more books than the old one had lent in a whole year, "
    "and the workshop was booked every evening by people learning to repair their own clothes.",
]
LONG = "\n\n".join(PARAGRAPHS)
STRUCTURED = "# Millbrook library\n\n## Planning\n\n" + "\n\n".join(PARAGRAPHS[:8]) + "\n\n## Building\n\n" + "\n\n".join(PARAGRAPHS[8:])
