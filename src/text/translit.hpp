// ICU transliterators for the calling thread. A Transliterator is not thread-safe, so each thread
// has its own; building one from its id parses its rules (about 0.25 ms, tens of ms for the first
// of a kind in the process), and parallel_for starts new threads for every step of a batch. So
// each id is built once per process, and a thread's copy is a clone of it (microseconds).
#pragma once

#include <unicode/translit.h>

#include <string>
#include <string_view>

namespace clearance::text {

// The calling thread's transliterator for `id` (a compound id such as "Any-Latin; Lower"), or
// nullptr when ICU cannot build it. Valid until the thread ends. Looks `id` up by comparing
// strings: hot paths keep the pointer in a thread_local of their own.
icu::Transliterator* thread_transliterator(const char* id);

// `utf8` transliterated by `id` (empty when ICU cannot build it).
std::string transliterate(std::string_view utf8, const char* id);

// The lower-case ASCII letters of s, nothing else.
std::string ascii_letters(std::string_view s);

}  // namespace clearance::text
