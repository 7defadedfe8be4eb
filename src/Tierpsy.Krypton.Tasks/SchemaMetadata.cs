using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Tierpsy.Krypton.Tasks;

/// <summary>
/// Reads an <c>[assembly: AssemblyMetadata(key, value)]</c> from a compiled assembly without loading it.
/// </summary>
internal static class SchemaMetadata
{
    /// <summary>The value stored under <paramref name="key"/>, or null when the assembly has none.</summary>
    public static string? Read(string assemblyPath, string key)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata)
            return null;
        var reader = pe.GetMetadataReader();
        foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (AttributeName(reader, attribute) != "System.Reflection.AssemblyMetadataAttribute")
                continue;
            var blob = reader.GetBlobReader(attribute.Value);
            if (blob.ReadUInt16() != 1)
                continue; // the custom attribute blob prolog
            if (blob.ReadSerializedString() == key)
                return blob.ReadSerializedString();
        }
        return null;
    }

    private static string? AttributeName(MetadataReader reader, CustomAttribute attribute)
    {
        var type = attribute.Constructor.Kind switch
        {
            HandleKind.MemberReference => reader
                .GetMemberReference((MemberReferenceHandle)attribute.Constructor)
                .Parent,
            HandleKind.MethodDefinition => reader
                .GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor)
                .GetDeclaringType(),
            _ => default(EntityHandle),
        };
        return type.Kind switch
        {
            HandleKind.TypeReference when reader.GetTypeReference((TypeReferenceHandle)type) is var r =>
                $"{reader.GetString(r.Namespace)}.{reader.GetString(r.Name)}",
            HandleKind.TypeDefinition when reader.GetTypeDefinition((TypeDefinitionHandle)type) is var d =>
                $"{reader.GetString(d.Namespace)}.{reader.GetString(d.Name)}",
            _ => null,
        };
    }
}
