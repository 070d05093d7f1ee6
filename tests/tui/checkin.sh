#!/bin/sh
# Check-in screen: typing part of a name, a scanned email, a refusal,
# Esc, the present mark and today's counts; quitting with F10.
. tests/lib.sh
. tests/tui/tmux.inc

add "Zoë Martin" zoe@example.org female; zoe=$id
add "山田太郎" taro@example.org male
add "Ольга Смирнова" olga@example.org
add "Zack Early" zack@example.org

tui_start
wait_for "Present 0 / 4"
on_screen "4 of 4"

# Part of a name, case-insensitive, then Enter.
type_text "ZOË"
wait_for "1 of 4"
not_on_screen "Ольга"
keys Enter
wait_for "Checked in Zoë Martin at 08:30: early, +5 points, total 5"
wait_for "Present 1 / 4"
on_screen "Early 1"
line_with "zoe@example.org"
has "✓" "$line"
has "early" "$line"

# A card reader types the whole email and presses Enter.
type_text "olga@example.org"; keys Enter
wait_for "Checked in Ольга Смирнова at 08:30"
wait_for "Present 2 / 4"

# The same student again is refused, with the reason.
type_text "zoe@example.org"; keys Enter
wait_for "Refused:"
on_screen "already checked in"

# An id works like an email; an unknown email is refused.
type_text "nobody@example.org"; keys Enter
wait_for "Refused:"
type_text "$zoe"; keys Enter
wait_for "already checked in"

# Wide characters filter and line up.
type_text "太郎"
wait_for "1 of 4"
line_with "taro@example.org"
keys Escape
wait_for "4 of 4"

# Up/Down choose among several matches.
type_text "z"
wait_for "2 of 4"
keys Down Up Enter
wait_for "Checked in Zack Early at 08:30"
wait_for "Present 3 / 4"

keys F10
tui_ended

# What the desk recorded.
expect 0 day 2025-09-01 --format csv
has "Zoë Martin"
has "Ольга Смирнова"
has "Zack Early"
has "山田太郎,false"
expect 0 student zoe@example.org --format json
has '"points": 5'
echo ok
