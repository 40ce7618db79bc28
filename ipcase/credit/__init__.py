"""Credit records (信用记录): events that count against a party across cases — infringement found,
repeat infringement ([85]34), decisions not performed, exhibitor violations, false complaints
([EXPO]10) and listing as a seriously dishonest subject (domain.md §8)."""
