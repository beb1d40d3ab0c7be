// The "strings" built-in group: concat, sprintf, substring, trim and the rest
// of OPA's string functions, plus internal.template_string, which the compiler
// calls for template strings ($"...{expr}..."). Positions and lengths count
// code points (runes), as Go does; byte-level functions (contains, startswith,
// strings.count) work on bytes, also as Go does. sprintf's Go formatting is in
// strings_format.cc and strings.render_template in strings_template.cc.
#include <algorithm>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rego/builtins.h"
#include "rego/builtins/strings_internal.h"

namespace custody::rego {

namespace {

using strings_internal::AppendRune;
using strings_internal::DecodeRune;
using strings_internal::kMaxResultBytes;
using strings_internal::RuneCount;
using strings_internal::Runes;

// ---- Unicode case mapping ----

// Simple (one-to-one) case mappings, as Go's unicode.ToLower/ToUpper apply
// them, generated from the Unicode 14 tables of glibc's C.UTF-8 locale. A
// range maps every `stride`-th code point from `lo` to `hi` by adding `delta`.
struct CaseRange {
  char32_t lo, hi;
  int32_t delta;
  uint32_t stride;
};

constexpr CaseRange kToLower[] = {
    {0x41, 0x5A, 32, 1},         {0xC0, 0xD6, 32, 1},         {0xD8, 0xDE, 32, 1},
    {0x100, 0x12E, 1, 2},        {0x130, 0x130, -199, 1},     {0x132, 0x136, 1, 2},
    {0x139, 0x147, 1, 2},        {0x14A, 0x176, 1, 2},        {0x178, 0x178, -121, 1},
    {0x179, 0x17D, 1, 2},        {0x181, 0x181, 210, 1},      {0x182, 0x184, 1, 2},
    {0x186, 0x186, 206, 1},      {0x187, 0x187, 1, 1},        {0x189, 0x18A, 205, 1},
    {0x18B, 0x18B, 1, 1},        {0x18E, 0x18E, 79, 1},       {0x18F, 0x18F, 202, 1},
    {0x190, 0x190, 203, 1},      {0x191, 0x191, 1, 1},        {0x193, 0x193, 205, 1},
    {0x194, 0x194, 207, 1},      {0x196, 0x196, 211, 1},      {0x197, 0x197, 209, 1},
    {0x198, 0x198, 1, 1},        {0x19C, 0x19C, 211, 1},      {0x19D, 0x19D, 213, 1},
    {0x19F, 0x19F, 214, 1},      {0x1A0, 0x1A4, 1, 2},        {0x1A6, 0x1A6, 218, 1},
    {0x1A7, 0x1A7, 1, 1},        {0x1A9, 0x1A9, 218, 1},      {0x1AC, 0x1AC, 1, 1},
    {0x1AE, 0x1AE, 218, 1},      {0x1AF, 0x1AF, 1, 1},        {0x1B1, 0x1B2, 217, 1},
    {0x1B3, 0x1B5, 1, 2},        {0x1B7, 0x1B7, 219, 1},      {0x1B8, 0x1B8, 1, 1},
    {0x1BC, 0x1BC, 1, 1},        {0x1C4, 0x1C4, 2, 1},        {0x1C5, 0x1C5, 1, 1},
    {0x1C7, 0x1C7, 2, 1},        {0x1C8, 0x1C8, 1, 1},        {0x1CA, 0x1CA, 2, 1},
    {0x1CB, 0x1DB, 1, 2},        {0x1DE, 0x1EE, 1, 2},        {0x1F1, 0x1F1, 2, 1},
    {0x1F2, 0x1F4, 1, 2},        {0x1F6, 0x1F6, -97, 1},      {0x1F7, 0x1F7, -56, 1},
    {0x1F8, 0x21E, 1, 2},        {0x220, 0x220, -130, 1},     {0x222, 0x232, 1, 2},
    {0x23A, 0x23A, 10795, 1},    {0x23B, 0x23B, 1, 1},        {0x23D, 0x23D, -163, 1},
    {0x23E, 0x23E, 10792, 1},    {0x241, 0x241, 1, 1},        {0x243, 0x243, -195, 1},
    {0x244, 0x244, 69, 1},       {0x245, 0x245, 71, 1},       {0x246, 0x24E, 1, 2},
    {0x370, 0x372, 1, 2},        {0x376, 0x376, 1, 1},        {0x37F, 0x37F, 116, 1},
    {0x386, 0x386, 38, 1},       {0x388, 0x38A, 37, 1},       {0x38C, 0x38C, 64, 1},
    {0x38E, 0x38F, 63, 1},       {0x391, 0x3A1, 32, 1},       {0x3A3, 0x3AB, 32, 1},
    {0x3CF, 0x3CF, 8, 1},        {0x3D8, 0x3EE, 1, 2},        {0x3F4, 0x3F4, -60, 1},
    {0x3F7, 0x3F7, 1, 1},        {0x3F9, 0x3F9, -7, 1},       {0x3FA, 0x3FA, 1, 1},
    {0x3FD, 0x3FF, -130, 1},     {0x400, 0x40F, 80, 1},       {0x410, 0x42F, 32, 1},
    {0x460, 0x480, 1, 2},        {0x48A, 0x4BE, 1, 2},        {0x4C0, 0x4C0, 15, 1},
    {0x4C1, 0x4CD, 1, 2},        {0x4D0, 0x52E, 1, 2},        {0x531, 0x556, 48, 1},
    {0x10A0, 0x10C5, 7264, 1},   {0x10C7, 0x10C7, 7264, 1},   {0x10CD, 0x10CD, 7264, 1},
    {0x13A0, 0x13EF, 38864, 1},  {0x13F0, 0x13F5, 8, 1},      {0x1C90, 0x1CBA, -3008, 1},
    {0x1CBD, 0x1CBF, -3008, 1},  {0x1E00, 0x1E94, 1, 2},      {0x1E9E, 0x1E9E, -7615, 1},
    {0x1EA0, 0x1EFE, 1, 2},      {0x1F08, 0x1F0F, -8, 1},     {0x1F18, 0x1F1D, -8, 1},
    {0x1F28, 0x1F2F, -8, 1},     {0x1F38, 0x1F3F, -8, 1},     {0x1F48, 0x1F4D, -8, 1},
    {0x1F59, 0x1F5F, -8, 2},     {0x1F68, 0x1F6F, -8, 1},     {0x1F88, 0x1F8F, -8, 1},
    {0x1F98, 0x1F9F, -8, 1},     {0x1FA8, 0x1FAF, -8, 1},     {0x1FB8, 0x1FB9, -8, 1},
    {0x1FBA, 0x1FBB, -74, 1},    {0x1FBC, 0x1FBC, -9, 1},     {0x1FC8, 0x1FCB, -86, 1},
    {0x1FCC, 0x1FCC, -9, 1},     {0x1FD8, 0x1FD9, -8, 1},     {0x1FDA, 0x1FDB, -100, 1},
    {0x1FE8, 0x1FE9, -8, 1},     {0x1FEA, 0x1FEB, -112, 1},   {0x1FEC, 0x1FEC, -7, 1},
    {0x1FF8, 0x1FF9, -128, 1},   {0x1FFA, 0x1FFB, -126, 1},   {0x1FFC, 0x1FFC, -9, 1},
    {0x2126, 0x2126, -7517, 1},  {0x212A, 0x212A, -8383, 1},  {0x212B, 0x212B, -8262, 1},
    {0x2132, 0x2132, 28, 1},     {0x2160, 0x216F, 16, 1},     {0x2183, 0x2183, 1, 1},
    {0x24B6, 0x24CF, 26, 1},     {0x2C00, 0x2C2F, 48, 1},     {0x2C60, 0x2C60, 1, 1},
    {0x2C62, 0x2C62, -10743, 1}, {0x2C63, 0x2C63, -3814, 1},  {0x2C64, 0x2C64, -10727, 1},
    {0x2C67, 0x2C6B, 1, 2},      {0x2C6D, 0x2C6D, -10780, 1}, {0x2C6E, 0x2C6E, -10749, 1},
    {0x2C6F, 0x2C6F, -10783, 1}, {0x2C70, 0x2C70, -10782, 1}, {0x2C72, 0x2C72, 1, 1},
    {0x2C75, 0x2C75, 1, 1},      {0x2C7E, 0x2C7F, -10815, 1}, {0x2C80, 0x2CE2, 1, 2},
    {0x2CEB, 0x2CED, 1, 2},      {0x2CF2, 0x2CF2, 1, 1},      {0xA640, 0xA66C, 1, 2},
    {0xA680, 0xA69A, 1, 2},      {0xA722, 0xA72E, 1, 2},      {0xA732, 0xA76E, 1, 2},
    {0xA779, 0xA77B, 1, 2},      {0xA77D, 0xA77D, -35332, 1}, {0xA77E, 0xA786, 1, 2},
    {0xA78B, 0xA78B, 1, 1},      {0xA78D, 0xA78D, -42280, 1}, {0xA790, 0xA792, 1, 2},
    {0xA796, 0xA7A8, 1, 2},      {0xA7AA, 0xA7AA, -42308, 1}, {0xA7AB, 0xA7AB, -42319, 1},
    {0xA7AC, 0xA7AC, -42315, 1}, {0xA7AD, 0xA7AD, -42305, 1}, {0xA7AE, 0xA7AE, -42308, 1},
    {0xA7B0, 0xA7B0, -42258, 1}, {0xA7B1, 0xA7B1, -42282, 1}, {0xA7B2, 0xA7B2, -42261, 1},
    {0xA7B3, 0xA7B3, 928, 1},    {0xA7B4, 0xA7C2, 1, 2},      {0xA7C4, 0xA7C4, -48, 1},
    {0xA7C5, 0xA7C5, -42307, 1}, {0xA7C6, 0xA7C6, -35384, 1}, {0xA7C7, 0xA7C9, 1, 2},
    {0xA7D0, 0xA7D0, 1, 1},      {0xA7D6, 0xA7D8, 1, 2},      {0xA7F5, 0xA7F5, 1, 1},
    {0xFF21, 0xFF3A, 32, 1},     {0x10400, 0x10427, 40, 1},   {0x104B0, 0x104D3, 40, 1},
    {0x10570, 0x1057A, 39, 1},   {0x1057C, 0x1058A, 39, 1},   {0x1058C, 0x10592, 39, 1},
    {0x10594, 0x10595, 39, 1},   {0x10C80, 0x10CB2, 64, 1},   {0x118A0, 0x118BF, 32, 1},
    {0x16E40, 0x16E5F, 32, 1},   {0x1E900, 0x1E921, 34, 1},
};
constexpr CaseRange kToUpper[] = {
    {0x61, 0x7A, -32, 1},        {0xB5, 0xB5, 743, 1},       {0xE0, 0xF6, -32, 1},
    {0xF8, 0xFE, -32, 1},        {0xFF, 0xFF, 121, 1},       {0x101, 0x12F, -1, 2},
    {0x131, 0x131, -232, 1},     {0x133, 0x137, -1, 2},      {0x13A, 0x148, -1, 2},
    {0x14B, 0x177, -1, 2},       {0x17A, 0x17E, -1, 2},      {0x17F, 0x17F, -300, 1},
    {0x180, 0x180, 195, 1},      {0x183, 0x185, -1, 2},      {0x188, 0x188, -1, 1},
    {0x18C, 0x18C, -1, 1},       {0x192, 0x192, -1, 1},      {0x195, 0x195, 97, 1},
    {0x199, 0x199, -1, 1},       {0x19A, 0x19A, 163, 1},     {0x19E, 0x19E, 130, 1},
    {0x1A1, 0x1A5, -1, 2},       {0x1A8, 0x1A8, -1, 1},      {0x1AD, 0x1AD, -1, 1},
    {0x1B0, 0x1B0, -1, 1},       {0x1B4, 0x1B6, -1, 2},      {0x1B9, 0x1B9, -1, 1},
    {0x1BD, 0x1BD, -1, 1},       {0x1BF, 0x1BF, 56, 1},      {0x1C5, 0x1C5, -1, 1},
    {0x1C6, 0x1C6, -2, 1},       {0x1C8, 0x1C8, -1, 1},      {0x1C9, 0x1C9, -2, 1},
    {0x1CB, 0x1CB, -1, 1},       {0x1CC, 0x1CC, -2, 1},      {0x1CE, 0x1DC, -1, 2},
    {0x1DD, 0x1DD, -79, 1},      {0x1DF, 0x1EF, -1, 2},      {0x1F2, 0x1F2, -1, 1},
    {0x1F3, 0x1F3, -2, 1},       {0x1F5, 0x1F5, -1, 1},      {0x1F9, 0x21F, -1, 2},
    {0x223, 0x233, -1, 2},       {0x23C, 0x23C, -1, 1},      {0x23F, 0x240, 10815, 1},
    {0x242, 0x242, -1, 1},       {0x247, 0x24F, -1, 2},      {0x250, 0x250, 10783, 1},
    {0x251, 0x251, 10780, 1},    {0x252, 0x252, 10782, 1},   {0x253, 0x253, -210, 1},
    {0x254, 0x254, -206, 1},     {0x256, 0x257, -205, 1},    {0x259, 0x259, -202, 1},
    {0x25B, 0x25B, -203, 1},     {0x25C, 0x25C, 42319, 1},   {0x260, 0x260, -205, 1},
    {0x261, 0x261, 42315, 1},    {0x263, 0x263, -207, 1},    {0x265, 0x265, 42280, 1},
    {0x266, 0x266, 42308, 1},    {0x268, 0x268, -209, 1},    {0x269, 0x269, -211, 1},
    {0x26A, 0x26A, 42308, 1},    {0x26B, 0x26B, 10743, 1},   {0x26C, 0x26C, 42305, 1},
    {0x26F, 0x26F, -211, 1},     {0x271, 0x271, 10749, 1},   {0x272, 0x272, -213, 1},
    {0x275, 0x275, -214, 1},     {0x27D, 0x27D, 10727, 1},   {0x280, 0x280, -218, 1},
    {0x282, 0x282, 42307, 1},    {0x283, 0x283, -218, 1},    {0x287, 0x287, 42282, 1},
    {0x288, 0x288, -218, 1},     {0x289, 0x289, -69, 1},     {0x28A, 0x28B, -217, 1},
    {0x28C, 0x28C, -71, 1},      {0x292, 0x292, -219, 1},    {0x29D, 0x29D, 42261, 1},
    {0x29E, 0x29E, 42258, 1},    {0x345, 0x345, 84, 1},      {0x371, 0x373, -1, 2},
    {0x377, 0x377, -1, 1},       {0x37B, 0x37D, 130, 1},     {0x3AC, 0x3AC, -38, 1},
    {0x3AD, 0x3AF, -37, 1},      {0x3B1, 0x3C1, -32, 1},     {0x3C2, 0x3C2, -31, 1},
    {0x3C3, 0x3CB, -32, 1},      {0x3CC, 0x3CC, -64, 1},     {0x3CD, 0x3CE, -63, 1},
    {0x3D0, 0x3D0, -62, 1},      {0x3D1, 0x3D1, -57, 1},     {0x3D5, 0x3D5, -47, 1},
    {0x3D6, 0x3D6, -54, 1},      {0x3D7, 0x3D7, -8, 1},      {0x3D9, 0x3EF, -1, 2},
    {0x3F0, 0x3F0, -86, 1},      {0x3F1, 0x3F1, -80, 1},     {0x3F2, 0x3F2, 7, 1},
    {0x3F3, 0x3F3, -116, 1},     {0x3F5, 0x3F5, -96, 1},     {0x3F8, 0x3F8, -1, 1},
    {0x3FB, 0x3FB, -1, 1},       {0x430, 0x44F, -32, 1},     {0x450, 0x45F, -80, 1},
    {0x461, 0x481, -1, 2},       {0x48B, 0x4BF, -1, 2},      {0x4C2, 0x4CE, -1, 2},
    {0x4CF, 0x4CF, -15, 1},      {0x4D1, 0x52F, -1, 2},      {0x561, 0x586, -48, 1},
    {0x10D0, 0x10FA, 3008, 1},   {0x10FD, 0x10FF, 3008, 1},  {0x13F8, 0x13FD, -8, 1},
    {0x1C80, 0x1C80, -6254, 1},  {0x1C81, 0x1C81, -6253, 1}, {0x1C82, 0x1C82, -6244, 1},
    {0x1C83, 0x1C84, -6242, 1},  {0x1C85, 0x1C85, -6243, 1}, {0x1C86, 0x1C86, -6236, 1},
    {0x1C87, 0x1C87, -6181, 1},  {0x1C88, 0x1C88, 35266, 1}, {0x1D79, 0x1D79, 35332, 1},
    {0x1D7D, 0x1D7D, 3814, 1},   {0x1D8E, 0x1D8E, 35384, 1}, {0x1E01, 0x1E95, -1, 2},
    {0x1E9B, 0x1E9B, -59, 1},    {0x1EA1, 0x1EFF, -1, 2},    {0x1F00, 0x1F07, 8, 1},
    {0x1F10, 0x1F15, 8, 1},      {0x1F20, 0x1F27, 8, 1},     {0x1F30, 0x1F37, 8, 1},
    {0x1F40, 0x1F45, 8, 1},      {0x1F51, 0x1F57, 8, 2},     {0x1F60, 0x1F67, 8, 1},
    {0x1F70, 0x1F71, 74, 1},     {0x1F72, 0x1F75, 86, 1},    {0x1F76, 0x1F77, 100, 1},
    {0x1F78, 0x1F79, 128, 1},    {0x1F7A, 0x1F7B, 112, 1},   {0x1F7C, 0x1F7D, 126, 1},
    {0x1F80, 0x1F87, 8, 1},      {0x1F90, 0x1F97, 8, 1},     {0x1FA0, 0x1FA7, 8, 1},
    {0x1FB0, 0x1FB1, 8, 1},      {0x1FB3, 0x1FB3, 9, 1},     {0x1FBE, 0x1FBE, -7205, 1},
    {0x1FC3, 0x1FC3, 9, 1},      {0x1FD0, 0x1FD1, 8, 1},     {0x1FE0, 0x1FE1, 8, 1},
    {0x1FE5, 0x1FE5, 7, 1},      {0x1FF3, 0x1FF3, 9, 1},     {0x214E, 0x214E, -28, 1},
    {0x2170, 0x217F, -16, 1},    {0x2184, 0x2184, -1, 1},    {0x24D0, 0x24E9, -26, 1},
    {0x2C30, 0x2C5F, -48, 1},    {0x2C61, 0x2C61, -1, 1},    {0x2C65, 0x2C65, -10795, 1},
    {0x2C66, 0x2C66, -10792, 1}, {0x2C68, 0x2C6C, -1, 2},    {0x2C73, 0x2C73, -1, 1},
    {0x2C76, 0x2C76, -1, 1},     {0x2C81, 0x2CE3, -1, 2},    {0x2CEC, 0x2CEE, -1, 2},
    {0x2CF3, 0x2CF3, -1, 1},     {0x2D00, 0x2D25, -7264, 1}, {0x2D27, 0x2D27, -7264, 1},
    {0x2D2D, 0x2D2D, -7264, 1},  {0xA641, 0xA66D, -1, 2},    {0xA681, 0xA69B, -1, 2},
    {0xA723, 0xA72F, -1, 2},     {0xA733, 0xA76F, -1, 2},    {0xA77A, 0xA77C, -1, 2},
    {0xA77F, 0xA787, -1, 2},     {0xA78C, 0xA78C, -1, 1},    {0xA791, 0xA793, -1, 2},
    {0xA794, 0xA794, 48, 1},     {0xA797, 0xA7A9, -1, 2},    {0xA7B5, 0xA7C3, -1, 2},
    {0xA7C8, 0xA7CA, -1, 2},     {0xA7D1, 0xA7D1, -1, 1},    {0xA7D7, 0xA7D9, -1, 2},
    {0xA7F6, 0xA7F6, -1, 1},     {0xAB53, 0xAB53, -928, 1},  {0xAB70, 0xABBF, -38864, 1},
    {0xFF41, 0xFF5A, -32, 1},    {0x10428, 0x1044F, -40, 1}, {0x104D8, 0x104FB, -40, 1},
    {0x10597, 0x105A1, -39, 1},  {0x105A3, 0x105B1, -39, 1}, {0x105B3, 0x105B9, -39, 1},
    {0x105BB, 0x105BC, -39, 1},  {0x10CC0, 0x10CF2, -64, 1}, {0x118C0, 0x118DF, -32, 1},
    {0x16E60, 0x16E7F, -32, 1},  {0x1E922, 0x1E943, -34, 1},
};

char32_t MapCase(char32_t r, std::span<const CaseRange> table) {
  auto it = std::upper_bound(table.begin(), table.end(), r,
                             [](char32_t x, const CaseRange& range) { return x < range.lo; });
  if (it == table.begin()) return r;
  const CaseRange& range = *(it - 1);
  if (r > range.hi || (r - range.lo) % range.stride != 0) return r;
  return static_cast<char32_t>(static_cast<int32_t>(r) + range.delta);
}

// Go's strings.Map with unicode.ToLower / ToUpper: invalid bytes become U+FFFD.
std::string MapString(std::string_view s, std::span<const CaseRange> table) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(MapCase(c, table)));
      ++i;
      continue;
    }
    auto d = DecodeRune(s.substr(i));
    AppendRune(out, MapCase(d.rune, table));
    i += d.size;
  }
  return out;
}

// unicode.IsSpace.
bool IsSpace(char32_t r) {
  switch (r) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000: return true;
    default: return r >= 0x2000 && r <= 0x200A;
  }
}

// ---- Shared argument handling ----

// "operand N must be array of strings but got array containing number"
Error ElementError(std::string_view name, int operand, const Value& collection, const Value& element,
                   std::string_view expected) {
  std::string type = collection.TypeName();
  return OperandError(name, operand,
                      "must be " + type + " of " + std::string(expected) + "s but got " + type +
                          " containing " + element.TypeName());
}

Error TooLarge(std::string_view name) {
  return BuiltinError(name, "result would be longer than " + std::to_string(kMaxResultBytes) + " bytes");
}

const Value& Arg(std::span<const Value> args, int operand) { return args[static_cast<size_t>(operand - 1)]; }

// The strings of a string, array or set operand (strings.any_prefix_match).
Result<std::vector<std::string_view>> StringOrCollection(std::string_view name, std::span<const Value> args,
                                                         int operand) {
  const Value& v = Arg(args, operand);
  std::vector<std::string_view> out;
  if (v.is_string()) {
    out.push_back(v.as_string());
    return out;
  }
  if (!v.is_array() && !v.is_set())
    return OperandTypeErrorOneOf(name, operand, v, {"string", "set", "array"});
  for (const Value& e : v.is_array() ? v.array() : v.set()) {
    if (!e.is_string()) return ElementError(name, operand, v, e, "string");
    out.push_back(e.as_string());
  }
  return out;
}

// Knuth-Morris-Pratt over code points: every start index (in runes) of
// `needle` in `hay`, overlapping ones included; at most `limit` of them.
std::vector<int64_t> RuneMatches(const std::vector<char32_t>& hay, const std::vector<char32_t>& needle,
                                 size_t limit) {
  std::vector<int64_t> out;
  size_t m = needle.size();
  std::vector<size_t> fail(m, 0);
  for (size_t i = 1, k = 0; i < m; ++i) {
    while (k > 0 && needle[i] != needle[k]) k = fail[k - 1];
    if (needle[i] == needle[k]) ++k;
    fail[i] = k;
  }
  for (size_t i = 0, k = 0; i < hay.size(); ++i) {
    while (k > 0 && hay[i] != needle[k]) k = fail[k - 1];
    if (hay[i] == needle[k]) ++k;
    if (k == m) {
      out.push_back(static_cast<int64_t>(i + 1 - m));
      if (out.size() >= limit) break;
      k = fail[k - 1];
    }
  }
  return out;
}

// ---- Built-ins ----

Result<Value> Concat(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view sep, StringArg("concat", args, 1));
  const Value& coll = args[1];
  if (!coll.is_array() && !coll.is_set()) return OperandTypeErrorOneOf("concat", 2, coll, {"set", "array"});
  const ValueVector& items = coll.is_array() ? coll.array() : coll.set();
  size_t total = 0;
  for (const Value& e : items) {
    if (!e.is_string()) return ElementError("concat", 2, coll, e, "string");
    total += e.as_string().size() + sep.size();
  }
  if (total > kMaxResultBytes) return TooLarge("concat");
  std::string out;
  out.reserve(total);
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.append(sep);
    out.append(items[i].as_string());
  }
  return Value::String(std::move(out));
}

Result<Value> Contains(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg("contains", args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view sub, StringArg("contains", args, 2));
  return Value::Bool(s.find(sub) != std::string_view::npos);
}

Result<Value> StartsWith(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg("startswith", args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view prefix, StringArg("startswith", args, 2));
  return Value::Bool(s.starts_with(prefix));
}

Result<Value> EndsWith(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg("endswith", args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view suffix, StringArg("endswith", args, 2));
  return Value::Bool(s.ends_with(suffix));
}

Result<Value> FormatInt(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "format_int";
  CUSTODY_ASSIGN_OR_RETURN(const Value* input, NumberArg(kName, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(const Value* base_value, NumberArg(kName, args, 2));
  std::optional<int64_t> base = base_value->to_int64();
  if (!base || (*base != 2 && *base != 8 && *base != 10 && *base != 16))
    return OperandError(kName, 2, "must be one of {2, 8, 10, 16}");
  if (*base == 10 && input->is_int()) return Value::String(std::to_string(input->as_int()));
  // OPA reads the number as a 64-bit-precision big.Float and truncates it.
  bool negative = false;
  strings_internal::BigUint magnitude;
  if (input->is_int()) {
    int64_t i = input->as_int();
    negative = i < 0;
    uint64_t u = negative ? ~static_cast<uint64_t>(i) + 1 : static_cast<uint64_t>(i);
    magnitude = strings_internal::BigUint::FromU64(u);
  } else if (input->is_big()) {
    const std::string& digits = input->big_digits();
    negative = digits[0] == '-';
    std::string_view mag = negative ? std::string_view(digits).substr(1) : std::string_view(digits);
    if (mag.size() > strings_internal::kMaxBaseConversionDigits)
      return BuiltinError(kName, "number has too many digits");
    magnitude = strings_internal::BigUint::FromDecimal(mag);
    magnitude.RoundToBits(64);
  } else {
    double d = input->as_double();
    negative = d < 0;
    magnitude = strings_internal::BigUint::FromDouble(d);
  }
  std::string out = magnitude.ToString(static_cast<int>(*base));
  if (negative && !magnitude.IsZero()) out.insert(out.begin(), '-');
  return Value::String(std::move(out));
}

Result<Value> IndexOf(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view base, StringArg("indexof", args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view search, StringArg("indexof", args, 2));
  if (search.empty()) return BuiltinError("indexof", "empty search character");
  std::vector<int64_t> found = RuneMatches(Runes(base), Runes(search), 1);
  return Value::Int(found.empty() ? -1 : found[0]);
}

Result<Value> IndexOfN(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view base, StringArg("indexof_n", args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view search, StringArg("indexof_n", args, 2));
  if (search.empty()) return BuiltinError("indexof_n", "empty search character");
  ValueVector out;
  for (int64_t i : RuneMatches(Runes(base), Runes(search), SIZE_MAX)) out.push_back(Value::Int(i));
  return Value::Array(std::move(out));
}

Result<Value> Lower(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg("lower", args, 1));
  std::string out = MapString(s, kToLower);
  if (out == s) return args[0];
  return Value::String(std::move(out));
}

Result<Value> Upper(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg("upper", args, 1));
  std::string out = MapString(s, kToUpper);
  if (out == s) return args[0];
  return Value::String(std::move(out));
}

// Go's strings.Replacer: at each position the first pattern (in argument
// order) that matches there is replaced, and scanning resumes after it. An
// empty pattern matches between code points; Go's generic replacer advances
// byte by byte there and would split multi-byte characters, which we do not.
class Replacer {
 public:
  // REQUIRES: patterns in priority order.
  explicit Replacer(std::vector<std::pair<std::string_view, std::string_view>> patterns)
      : patterns_(std::move(patterns)) {
    nodes_.emplace_back();
    for (size_t p = 0; p < patterns_.size(); ++p) {
      size_t node = 0;
      for (char c : patterns_[p].first) {
        auto [it, inserted] = nodes_[node].next.try_emplace(static_cast<unsigned char>(c), nodes_.size());
        if (inserted) nodes_.emplace_back();
        node = it->second;
      }
      if (nodes_[node].pattern == kNone) nodes_[node].pattern = p;
    }
  }

  Result<std::string> Replace(std::string_view name, std::string_view s) const {
    std::string out;
    size_t last = 0;
    bool prev_empty = false;
    bool has_empty = nodes_[0].pattern != kNone;
    for (size_t i = 0; i <= s.size();) {
      // The highest-priority pattern that is a prefix of s[i:]; the empty
      // pattern not twice in a row at one position.
      size_t best = kNone, best_len = 0, node = 0;
      if (!prev_empty) best = nodes_[0].pattern;
      for (size_t k = i; k < s.size(); ++k) {
        auto it = nodes_[node].next.find(static_cast<unsigned char>(s[k]));
        if (it == nodes_[node].next.end()) break;
        node = it->second;
        if (nodes_[node].pattern < best) {
          best = nodes_[node].pattern;
          best_len = k + 1 - i;
        }
      }
      prev_empty = best != kNone && best_len == 0;
      if (best != kNone) {
        out.append(s.substr(last, i - last));
        out.append(patterns_[best].second);
        if (out.size() > kMaxResultBytes) return TooLarge(name);
        i += best_len;
        last = i;
        continue;
      }
      if (i == s.size()) break;
      i += has_empty ? std::max<size_t>(1, DecodeRune(s.substr(i)).size) : 1;
    }
    out.append(s.substr(std::min(last, s.size())));
    if (out.size() > kMaxResultBytes) return TooLarge(name);
    return out;
  }

 private:
  static constexpr size_t kNone = SIZE_MAX;
  struct Node {
    std::map<unsigned char, size_t> next;
    size_t pattern = kNone;
  };
  std::vector<std::pair<std::string_view, std::string_view>> patterns_;
  std::vector<Node> nodes_;
};

Result<Value> Replace(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg("replace", args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view old_s, StringArg("replace", args, 2));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view new_s, StringArg("replace", args, 3));
  Replacer replacer({{old_s, new_s}});
  CUSTODY_ASSIGN_OR_RETURN(std::string out, replacer.Replace("replace", s));
  if (out == s) return args[0];
  return Value::String(std::move(out));
}

Result<Value> ReplaceN(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "strings.replace_n";
  CUSTODY_ASSIGN_OR_RETURN(const Value* patterns, ObjectArg(kName, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg(kName, args, 2));
  // Object keys are kept sorted, which is the order OPA gives the replacer.
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  for (const auto& [k, v] : patterns->object()) {
    if (!k.is_string()) return OperandError(kName, 1, "non-string key found in pattern object");
    if (!v.is_string()) return OperandError(kName, 1, "non-string value found in pattern object");
    pairs.emplace_back(k.as_string(), v.as_string());
  }
  Replacer replacer(std::move(pairs));
  CUSTODY_ASSIGN_OR_RETURN(std::string out, replacer.Replace(kName, s));
  return Value::String(std::move(out));
}

Result<Value> Split(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg("split", args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view delim, StringArg("split", args, 2));
  ValueVector out;
  if (delim.empty()) {
    // Go's explode: one element per UTF-8 sequence (or invalid byte).
    for (size_t i = 0; i < s.size();) {
      size_t n = DecodeRune(s.substr(i)).size;
      out.push_back(Value::String(s.substr(i, n)));
      i += n;
    }
    return Value::Array(std::move(out));
  }
  if (s.find(delim) == std::string_view::npos) return Value::Array({args[0]});
  size_t start = 0;
  while (true) {
    size_t pos = s.find(delim, start);
    if (pos == std::string_view::npos) break;
    out.push_back(Value::String(s.substr(start, pos - start)));
    start = pos + delim.size();
  }
  out.push_back(Value::String(s.substr(start)));
  return Value::Array(std::move(out));
}

Result<Value> Sprintf(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view format, StringArg("sprintf", args, 1));
  CUSTODY_ASSIGN_OR_RETURN(const Value* list, ArrayArg("sprintf", args, 2));
  std::vector<strings_internal::FmtArg> fmt_args;
  fmt_args.reserve(list->array().size());
  for (const Value& v : list->array()) fmt_args.push_back(strings_internal::SprintfArg(v));
  bool overflow = false;
  std::string out = strings_internal::GoSprintf(format, fmt_args, kMaxResultBytes, &overflow);
  if (overflow) return BuiltinError("sprintf", "result too large");
  return Value::String(std::move(out));
}

// strings.any_prefix_match / any_suffix_match: sorted candidates, so each
// prefix costs one binary search.
bool AnyStartsWithAny(std::vector<std::string> strs, const std::vector<std::string>& prefixes) {
  if (strs.empty() || prefixes.empty()) return false;
  std::sort(strs.begin(), strs.end());
  for (const std::string& p : prefixes) {
    auto it = std::lower_bound(strs.begin(), strs.end(), p);
    if (it != strs.end() && it->starts_with(p)) return true;
  }
  return false;
}

Result<Value> AnyFixMatch(std::string_view name, std::span<const Value> args, bool suffix) {
  CUSTODY_ASSIGN_OR_RETURN(std::vector<std::string_view> strs, StringOrCollection(name, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::vector<std::string_view> fixes, StringOrCollection(name, args, 2));
  auto prepare = [&](const std::vector<std::string_view>& in) {
    std::vector<std::string> out;
    out.reserve(in.size());
    for (std::string_view s : in) {
      out.emplace_back(s);
      if (suffix) std::reverse(out.back().begin(), out.back().end());
    }
    return out;
  };
  return Value::Bool(AnyStartsWithAny(prepare(strs), prepare(fixes)));
}

Result<Value> AnyPrefixMatch(std::span<const Value> args, BuiltinContext&) {
  return AnyFixMatch("strings.any_prefix_match", args, false);
}

Result<Value> AnySuffixMatch(std::span<const Value> args, BuiltinContext&) {
  return AnyFixMatch("strings.any_suffix_match", args, true);
}

Result<Value> Count(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg("strings.count", args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view sub, StringArg("strings.count", args, 2));
  if (sub.empty()) return Value::Int(static_cast<int64_t>(RuneCount(s)) + 1);
  int64_t n = 0;
  for (size_t pos = s.find(sub); pos != std::string_view::npos; pos = s.find(sub, pos + sub.size())) ++n;
  return Value::Int(n);
}

Result<Value> Reverse(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg("strings.reverse", args, 1));
  std::vector<char32_t> runes = Runes(s);
  std::string out;
  out.reserve(s.size());
  for (auto it = runes.rbegin(); it != runes.rend(); ++it) AppendRune(out, *it);
  return Value::String(std::move(out));
}

Result<Value> Substring(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg("substring", args, 1));
  CUSTODY_ASSIGN_OR_RETURN(int64_t start, IntArg("substring", args, 2));
  CUSTODY_ASSIGN_OR_RETURN(int64_t length, IntArg("substring", args, 3));
  if (start < 0) return BuiltinError("substring", "negative offset");
  // Walk to the start rune, then `length` runes further.
  size_t i = 0;
  for (int64_t k = 0; k < start && i < s.size(); ++k) i += DecodeRune(s.substr(i)).size;
  if (i >= s.size()) return Value::String("");
  if (length < 0) return Value::String(s.substr(i));
  size_t j = i;
  for (int64_t k = 0; k < length && j < s.size(); ++k) j += DecodeRune(s.substr(j)).size;
  if (i == 0 && j >= s.size()) return args[0];
  return Value::String(s.substr(i, j - i));
}

// Go's strings.Trim family: the cutset is a set of code points.
struct Cutset {
  explicit Cutset(std::string_view s) : runes(Runes(s)) {}
  bool Has(char32_t r) const { return std::find(runes.begin(), runes.end(), r) != runes.end(); }
  std::vector<char32_t> runes;
};

template <typename Pred>
std::string_view TrimLeftFunc(std::string_view s, Pred pred) {
  size_t i = 0;
  while (i < s.size()) {
    auto d = DecodeRune(s.substr(i));
    if (!pred(d.rune)) break;
    i += d.size;
  }
  return s.substr(i);
}

template <typename Pred>
std::string_view TrimRightFunc(std::string_view s, Pred pred) {
  size_t end = s.size();
  while (end > 0) {
    // Step back to the start of the last code point.
    size_t start = end - 1;
    while (start > 0 && end - start < 4 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    auto d = DecodeRune(s.substr(start, end - start));
    if (d.size != end - start) {  // not one whole sequence: the last byte alone
      start = end - 1;
      d = {strings_internal::kRuneError, 1};
    }
    if (!pred(d.rune)) break;
    end = start;
  }
  return s.substr(0, end);
}

Result<Value> TrimCommon(std::string_view name, std::span<const Value> args, bool left, bool right) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg(name, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view cut, StringArg(name, args, 2));
  if (s.empty() || cut.empty()) return args[0];
  Cutset set(cut);
  auto in = [&](char32_t r) { return set.Has(r); };
  std::string_view out = s;
  if (left) out = TrimLeftFunc(out, in);
  if (right) out = TrimRightFunc(out, in);
  if (out.size() == s.size()) return args[0];
  return Value::String(out);
}

Result<Value> Trim(std::span<const Value> args, BuiltinContext&) {
  return TrimCommon("trim", args, true, true);
}
Result<Value> TrimLeft(std::span<const Value> args, BuiltinContext&) {
  return TrimCommon("trim_left", args, true, false);
}
Result<Value> TrimRight(std::span<const Value> args, BuiltinContext&) {
  return TrimCommon("trim_right", args, false, true);
}

Result<Value> TrimPrefix(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg("trim_prefix", args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view prefix, StringArg("trim_prefix", args, 2));
  if (prefix.empty() || !s.starts_with(prefix)) return args[0];
  return Value::String(s.substr(prefix.size()));
}

Result<Value> TrimSuffix(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg("trim_suffix", args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view suffix, StringArg("trim_suffix", args, 2));
  if (suffix.empty() || !s.ends_with(suffix)) return args[0];
  return Value::String(s.substr(0, s.size() - suffix.size()));
}

Result<Value> TrimSpace(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg("trim_space", args, 1));
  std::string_view out = TrimRightFunc(TrimLeftFunc(s, IsSpace), IsSpace);
  if (out.size() == s.size()) return args[0];
  return Value::String(out);
}

// internal.template_string([part, ...]): the compiler's lowering of
// $"...{expr}...". Literal text arrives as strings; each {expr} arrives as
// the set of its values (a set comprehension), so an undefined expression is
// the empty set, printed "<undefined>".
Result<Value> TemplateString(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* parts, ArrayArg("internal.template_string", args, 1));
  std::string out;
  for (const Value& part : parts->array()) {
    if (part.is_string()) {
      out += part.as_string();
    } else if (part.is_number() || part.is_bool() || part.is_null()) {
      part.AppendRego(out);
    } else if (part.is_set()) {
      const ValueVector& values = part.set();
      if (values.empty()) {
        out += "<undefined>";
      } else if (values.size() > 1) {
        return Error::Input("eval_conflict_error: template-strings must not produce multiple outputs");
      } else if (values[0].is_string()) {
        out += values[0].as_string();
      } else {
        values[0].AppendRego(out);
      }
    } else {
      return Error::Input(std::string("eval_internal_error: illegal argument type: ") + part.TypeName());
    }
    if (out.size() > kMaxResultBytes) return TooLarge("internal.template_string");
  }
  return Value::String(std::move(out));
}

}  // namespace

void RegisterStrings(BuiltinTable& t) {
  t.Add({"concat", 2, Concat});
  t.Add({"contains", 2, Contains});
  t.Add({"endswith", 2, EndsWith});
  t.Add({"format_int", 2, FormatInt});
  t.Add({"indexof", 2, IndexOf});
  t.Add({"indexof_n", 2, IndexOfN});
  t.Add({"lower", 1, Lower});
  t.Add({"replace", 3, Replace});
  t.Add({"split", 2, Split});
  t.Add({"sprintf", 2, Sprintf});
  t.Add({"startswith", 2, StartsWith});
  t.Add({"strings.any_prefix_match", 2, AnyPrefixMatch});
  t.Add({"strings.any_suffix_match", 2, AnySuffixMatch});
  t.Add({"strings.count", 2, Count});
  t.Add({"strings.render_template", 2, strings_internal::RenderTemplate});
  t.Add({"strings.replace_n", 2, ReplaceN});
  t.Add({"strings.reverse", 1, Reverse});
  t.Add({"substring", 3, Substring});
  t.Add({"trim", 2, Trim});
  t.Add({"trim_left", 2, TrimLeft});
  t.Add({"trim_prefix", 2, TrimPrefix});
  t.Add({"trim_right", 2, TrimRight});
  t.Add({"trim_space", 1, TrimSpace});
  t.Add({"trim_suffix", 2, TrimSuffix});
  t.Add({"upper", 1, Upper});
  t.Add({"internal.template_string", 1, TemplateString});
}

}  // namespace custody::rego
