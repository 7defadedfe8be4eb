namespace Tierpsy.Krypton.Generators.Json;

/// <summary>What a JSON value is.</summary>
internal enum JsonKind
{
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
}

/// <summary>
/// A JSON value with where it stands in the text (character offsets), so diagnostics can point at it.
/// </summary>
internal sealed class JsonNode
{
    public JsonNode(JsonKind kind, int start) => (Kind, Start) = (kind, start);

    public JsonKind Kind { get; }
    public int Start { get; }
    public int End { get; set; }

    /// <summary>The text of a string, or the literal of a number.</summary>
    public string Text { get; set; } = "";

    /// <summary>A number written without a fraction or exponent.</summary>
    public bool IsIntegerLiteral { get; set; }

    public List<JsonProperty> Properties { get; } = new();
    public List<JsonNode> Items { get; } = new();

    /// <summary>How JSON names this kind in messages.</summary>
    public string KindName =>
        Kind switch
        {
            JsonKind.True or JsonKind.False => "boolean",
            _ => Kind.ToString().ToLowerInvariant(),
        };

    /// <summary>The value as Python's <c>str()</c> prints it, as Tierpsy's messages show values.</summary>
    public string PythonText =>
        Kind switch
        {
            JsonKind.String => Text,
            JsonKind.Number => Text,
            JsonKind.True => "True",
            JsonKind.False => "False",
            JsonKind.Null => "None",
            _ => Kind == JsonKind.Array ? "[...]" : "{...}",
        };
}

/// <summary>One member of a JSON object: its name (with the name's position) and value.</summary>
internal sealed class JsonProperty
{
    public JsonProperty(string name, int nameStart, int nameEnd, JsonNode value) =>
        (Name, NameStart, NameEnd, Value) = (name, nameStart, nameEnd, value);

    public string Name { get; }
    public int NameStart { get; }
    public int NameEnd { get; }
    public JsonNode Value { get; }
}
