using System.Globalization;
using System.Text;

namespace Tierpsy.Krypton.Generators.Json;

/// <summary>A JSON syntax error at a character offset.</summary>
internal sealed class JsonSyntaxException(int offset, string message) : Exception(message)
{
    public int Offset { get; } = offset;
}

/// <summary>
/// A JSON reader that keeps every value's position. The compiler loads analyzers without System.Text.Json on every
/// host, and its reader does not give positions of object members anyway. Strict (RFC 8259, as Python's json.load
/// for Tierpsy files) unless <c>lenient</c>: then comments and trailing commas pass, as the build's own reader allows.
/// </summary>
internal sealed class JsonReader
{
    private readonly string _text;
    private readonly bool _lenient;
    private int _at;

    private JsonReader(string text, bool lenient) => (_text, _lenient) = (text, lenient);

    /// <exception cref="JsonSyntaxException">The text is not one JSON value.</exception>
    public static JsonNode Parse(string text, bool lenient = false)
    {
        var reader = new JsonReader(text, lenient);
        if (reader._at < text.Length && text[0] == '\uFEFF')
            reader._at++;
        var value = reader.Value();
        reader.Space();
        if (reader._at < text.Length)
            throw new JsonSyntaxException(
                reader._at,
                $"Unexpected '{text[reader._at]}' after the end of the JSON value."
            );
        return value;
    }

    private JsonNode Value()
    {
        Space();
        if (_at >= _text.Length)
            throw new JsonSyntaxException(_at, "Expected a value but the file ends here.");
        switch (_text[_at])
        {
            case '{':
                return Object();
            case '[':
                return Array();
            case '"':
                var start = _at;
                var text = String();
                return new JsonNode(JsonKind.String, start) { Text = text, End = _at };
            case 't':
                return Word("true", JsonKind.True);
            case 'f':
                return Word("false", JsonKind.False);
            case 'n':
                return Word("null", JsonKind.Null);
            default:
                if (_text[_at] == '-' || char.IsDigit(_text[_at]))
                    return Number();
                throw new JsonSyntaxException(
                    _at,
                    $"Unexpected '{_text[_at]}': expected a value (object, array, string, number, true, false or null)."
                );
        }
    }

    private JsonNode Object()
    {
        var node = new JsonNode(JsonKind.Object, _at++);
        Space();
        if (Peek() == '}')
        {
            _at++;
            node.End = _at;
            return node;
        }
        while (true)
        {
            Space();
            if (Peek() == '}' && _lenient && node.Properties.Count > 0)
            {
                _at++;
                node.End = _at;
                return node;
            }
            if (Peek() != '"')
                throw new JsonSyntaxException(
                    _at,
                    Peek() == '}'
                        ? "A comma before '}' is not allowed in JSON."
                        : "Expected a property name in double quotes."
                );
            var nameStart = _at;
            var name = String();
            var nameEnd = _at;
            Space();
            Expect(':', "Expected ':' after the property name.");
            node.Properties.Add(new JsonProperty(name, nameStart, nameEnd, Value()));
            Space();
            if (Peek() == ',')
            {
                _at++;
                continue;
            }
            Expect('}', "Expected ',' or '}' after a property value.");
            node.End = _at;
            return node;
        }
    }

    private JsonNode Array()
    {
        var node = new JsonNode(JsonKind.Array, _at++);
        Space();
        if (Peek() == ']')
        {
            _at++;
            node.End = _at;
            return node;
        }
        while (true)
        {
            node.Items.Add(Value());
            Space();
            if (Peek() == ',')
            {
                _at++;
                Space();
                if (Peek() != ']')
                    continue;
                if (!_lenient)
                    throw new JsonSyntaxException(_at, "A comma before ']' is not allowed in JSON.");
                _at++;
                node.End = _at;
                return node;
            }
            Expect(']', "Expected ',' or ']' after an array item.");
            node.End = _at;
            return node;
        }
    }

    private string String()
    {
        _at++;
        var sb = new StringBuilder();
        while (true)
        {
            if (_at >= _text.Length)
                throw new JsonSyntaxException(_at, "The string is not closed with '\"'.");
            var c = _text[_at++];
            if (c == '"')
                return sb.ToString();
            if (c < ' ')
                throw new JsonSyntaxException(
                    _at - 1,
                    "A control character (such as a line break) must be escaped inside a string."
                );
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            if (_at >= _text.Length)
                throw new JsonSyntaxException(_at, "The string is not closed with '\"'.");
            var e = _text[_at++];
            switch (e)
            {
                case '"':
                case '\\':
                case '/':
                    sb.Append(e);
                    break;
                case 'b':
                    sb.Append('\b');
                    break;
                case 'f':
                    sb.Append('\f');
                    break;
                case 'n':
                    sb.Append('\n');
                    break;
                case 'r':
                    sb.Append('\r');
                    break;
                case 't':
                    sb.Append('\t');
                    break;
                case 'u'
                    when _at + 4 <= _text.Length
                        && int.TryParse(
                            _text.Substring(_at, 4),
                            NumberStyles.HexNumber,
                            CultureInfo.InvariantCulture,
                            out var code
                        ):
                    sb.Append((char)code);
                    _at += 4;
                    break;
                default:
                    throw new JsonSyntaxException(_at - 2, $"'\\{e}' is not a JSON escape.");
            }
        }
    }

    private JsonNode Number()
    {
        var start = _at;
        if (Peek() == '-')
            _at++;
        Digits();
        var integer = true;
        if (Peek() == '.')
        {
            _at++;
            Digits();
            integer = false;
        }
        if (Peek() is 'e' or 'E')
        {
            _at++;
            if (Peek() is '+' or '-')
                _at++;
            Digits();
            integer = false;
        }
        var literal = _text.Substring(start, _at - start);
        return new JsonNode(JsonKind.Number, start)
        {
            Text = literal,
            IsIntegerLiteral = integer,
            End = _at,
        };
    }

    private void Digits()
    {
        var start = _at;
        while (_at < _text.Length && char.IsDigit(_text[_at]))
            _at++;
        if (_at == start)
            throw new JsonSyntaxException(_at, "Expected a digit in the number.");
    }

    private JsonNode Word(string word, JsonKind kind)
    {
        if (string.CompareOrdinal(_text, _at, word, 0, word.Length) != 0)
            throw new JsonSyntaxException(
                _at,
                "Unexpected word: JSON knows only true, false and null (strings need double quotes)."
            );
        var node = new JsonNode(kind, _at) { Text = word };
        _at += word.Length;
        node.End = _at;
        return node;
    }

    private void Expect(char c, string message)
    {
        if (Peek() != c)
            throw new JsonSyntaxException(_at, message);
        _at++;
    }

    private char Peek() => _at < _text.Length ? _text[_at] : '\0';

    private void Space()
    {
        while (_at < _text.Length)
        {
            if (_text[_at] is ' ' or '\t' or '\r' or '\n')
                _at++;
            else if (_lenient && string.CompareOrdinal(_text, _at, "//", 0, 2) == 0)
                while (_at < _text.Length && _text[_at] != '\n')
                    _at++;
            else if (_lenient && string.CompareOrdinal(_text, _at, "/*", 0, 2) == 0)
            {
                var end = _text.IndexOf("*/", _at + 2, StringComparison.Ordinal);
                if (end < 0)
                    throw new JsonSyntaxException(_at, "The comment is not closed with '*/'.");
                _at = end + 2;
            }
            else
                return;
        }
    }
}
