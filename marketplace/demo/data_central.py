"""Demo households of the Centre: Thanh Hóa to Khánh Hòa (2025 provinces)."""

from datetime import date as d

from marketplace.demo.seeds import HouseholdSeed as H
from marketplace.demo.seeds import ListingSeed as L
from marketplace.demo.seeds import ocop, organic, vietgap

CENTRAL = [
    H(
        "Vườn bưởi Luận Văn bà Nhung", "Lê Thị Nhung", "0915207368", 38, 15634, "Thôn Luận Văn",
        "Bưởi Luận Văn xưa là sản vật tiến vua của xứ Thanh. Bà Nhung giữ 200 gốc bưởi cổ, bón bằng bèo dâu và "
        "phân chuồng, quả chín vàng vào dịp Tết.",
        (
            L("Bưởi Luận Văn", "trai-cay", "qua", 70_000, 1_400, 150,
              "Quả 1–1,2 kg, vỏ vàng, tép mọng, ngọt thanh, thơm đặc trưng.", 1, 30),
            L("Bưởi Luận Văn vụ Tết 2027 (đặt trước)", "trai-cay", "qua", 80_000, 1_400, 300,
              "Đặt trước bưởi chưng Tết, quả tròn đều, còn cuống lá.", 2, 30, (d(2027, 11, 20), d(2027, 12, 31))),
            L("Tinh dầu vỏ bưởi", "ocop-qua-tang", "chai", 85_000, 120, 100,
              "Chai 50 ml chưng cất từ vỏ bưởi tươi, dưỡng tóc, xông phòng.", 1, 730),
        ),
        (ocop(3, "OCOP-38-2024-0215", d(2027, 9, 30)),),
    ),
    H(
        "Vườn cam Xã Đoài ông Hồ Sỹ Hùng", "Hồ Sỹ Hùng", "0983154072", 40, 17827, "Xóm 4, Nghi Diên",
        "Cam Xã Đoài là giống cam quý của Nghệ An, quả nhỏ, vỏ mỏng, ngọt sắc. Ông Hùng ghép mắt từ cây cam cổ "
        "của làng, chăm theo quy trình VietGAP.",
        (
            L("Cam Xã Đoài", "trai-cay", "kg", 70_000, 1_080, 120,
              "Quả 150–200 g, vỏ vàng xanh, mọng nước, ngọt đậm, thơm tinh dầu.", 2, 14),
            L("Cam Vinh loại 1", "trai-cay", "kg", 45_000, 1_080, 300,
              "Cam Vinh vỏ sần, múi vàng, vắt nước hay bổ múi đều ngon.", 2, 14),
            L("Cam Xã Đoài vụ Tết 2027 (đặt trước)", "trai-cay", "kg", 80_000, 1_080, 400,
              "Đặt trước cam chín rộ tháng 11–12/2027, hái chín cây.", 3, 14, (d(2027, 11, 15), d(2027, 12, 31))),
            L("Mật ong hoa cam", "mat-ong-dac-san", "chai", 180_000, 780, 60,
              "Chai 500 ml, mật ong nuôi trong vườn cam, màu vàng nhạt, thơm hoa cam.", 1, 730),
        ),
        (vietgap("VietGAP-TT-17-09-40-0064", d(2027, 12, 31)),),
    ),
    H(
        "Hộ ông Lô Văn Thanh, vùng đệm Pù Mát", "Lô Văn Thanh", "0342785106", 40, 17254, "Bản Khe Rạn",
        "Gia đình người Thái ở vùng đệm vườn quốc gia Pù Mát. Ông Thanh trồng nứa lấy măng, nuôi ong bằng thùng gỗ "
        "và trồng nấm hương trên gỗ rừng trồng.",
        (
            L("Măng nứa khô", "nam-mang", "goi", 150_000, 530, 120,
              "Gói 500 g, măng nứa luộc, phơi gác bếp, ngâm 1 đêm rồi nấu với sườn.", 1, 365),
            L("Nấm hương gỗ", "nam-mang", "goi", 160_000, 280, 80,
              "Gói 250 g, nấm mũ dày, thơm, trồng trên gỗ dẻ.", 1, 365),
            L("Mật ong rừng Pù Mát", "mat-ong-dac-san", "chai", 320_000, 780, 40,
              "Chai 500 ml mật ong nuôi thả trong rừng, vị ngọt đậm, hơi chát cuối.", 1, 730),
        ),
        (),
    ),
    H(
        "Vườn bưởi Phúc Trạch chú Tuấn", "Phan Văn Tuấn", "0979236108", 42, 18547, "Thôn 6",
        "Bưởi Phúc Trạch có chỉ dẫn địa lý, ruột hồng, tép rời, để được lâu. Vườn nhà chú Tuấn 600 gốc, "
        "treo bẫy dẫn dụ ruồi vàng thay phun thuốc.",
        (
            L("Bưởi Phúc Trạch", "trai-cay", "qua", 80_000, 1_700, 200,
              "Quả 1,3–1,6 kg, ruột hồng, vị ngọt mát, không the đắng.", 1, 45),
            L("Hộp quà 2 bưởi Phúc Trạch", "ocop-qua-tang", "hop", 170_000, 3_500, 60,
              "Hộp giấy kraft có tem truy xuất nguồn gốc, biếu Trung thu, Tết.", 1, 45),
            L("Bưởi Phúc Trạch vụ 2027 (đặt trước)", "trai-cay", "qua", 75_000, 1_700, 500,
              "Đặt trước bưởi chính vụ tháng 8–10/2027.", 2, 45, (d(2027, 8, 15), d(2027, 10, 31))),
        ),
        (vietgap("VietGAP-TT-13-10-42-0029", d(2028, 5, 31)), ocop(4, "OCOP-42-2024-0011", d(2028, 7, 31))),
    ),
    H(
        "Vườn tiêu Vĩnh Linh anh Cường", "Trần Quốc Cường", "0914783025", 44, 19363, "Thôn Tân Mỹ",
        "Vườn tiêu trên đất đỏ bazan Vĩnh Linh, cạnh những hàng cây mít làm trụ sống. Anh Cường còn trồng nghệ "
        "và tự làm tinh bột nghệ.",
        (
            L("Hồ tiêu Vĩnh Linh", "gia-vi", "kg", 230_000, 1_050, 150,
              "Hạt tiêu đen chắc, cay nồng, thơm, phơi nắng tự nhiên.", 1, 730),
            L("Tinh bột nghệ vàng", "gia-vi", "hu", 120_000, 320, 100,
              "Hũ 250 g, lọc từ nghệ vàng trồng xen trong vườn tiêu.", 1, 540),
            L("Khoai deo Cam Lộ", "mat-ong-dac-san", "goi", 70_000, 530, 0,
              "Gói 500 g khoai lang hấp, phơi dẻo. Hàng theo mùa, tạm dừng bán.", 1, 90, None, True),
        ),
        (vietgap("VietGAP-TT-18-02-44-0014", d(2026, 5, 31)),),
    ),
    H(
        "Vườn cà phê Khe Sanh chị Hồ Thị Pi", "Hồ Thị Pi", "0373518264", 44, 19429, "Thôn Ka Tăng",
        "Chị Pi là người Vân Kiều, trồng cà phê Arabica ở độ cao 500 m dưới chân núi Động Voi Mẹp. Quả chín được "
        "hái tay, phơi trên giàn lưới.",
        (
            L("Cà phê Arabica Khe Sanh rang xay", "ca-phe-tra", "goi", 110_000, 280, 150,
              "Gói 250 g, rang vừa, chua thanh, hương caramel, pha phin hay pha máy.", 1, 270),
            L("Cà phê nhân Arabica Khe Sanh", "ca-phe-tra", "kg", 180_000, 1_040, 120,
              "Nhân sơ chế ướt, sàng 16, dành cho người tự rang.", 1, 365),
            L("Mật ong hoa cà phê", "mat-ong-dac-san", "chai", 190_000, 780, 50,
              "Chai 500 ml, mật ong mùa hoa cà phê tháng 2–3, thơm nhẹ.", 1, 730),
        ),
        (ocop(3, "OCOP-44-2024-0056", d(2027, 10, 31)),),
    ),
    H(
        "Nhà vườn thanh trà Hương Trà O Hoa", "Nguyễn Thị Hoa", "0935280471", 46, 19996, "Tổ 3, Hương Hồ",
        "Nhà vườn Huế của O Hoa có 150 gốc thanh trà bên dòng sông Hương. O còn làm tôm chua và mè xửng theo công "
        "thức của mạ.",
        (
            L("Thanh trà Huế", "trai-cay", "kg", 45_000, 1_080, 150,
              "Quả nhỏ, vỏ mỏng, múi ráo, vị ngọt thanh xen chua nhẹ, thơm tinh dầu.", 2, 10),
            L("Thanh trà Huế vụ 2027 (đặt trước)", "trai-cay", "kg", 40_000, 1_080, 300,
              "Đặt trước thanh trà chín tháng 8–9/2027.", 3, 10, (d(2027, 8, 1), d(2027, 9, 30))),
            L("Tôm chua Huế", "thuy-hai-san-kho", "hu", 140_000, 650, 60,
              "Hũ 500 g, tôm đất muối chua với riềng, tỏi, ớt, măng tre. Giữ ngăn mát.", 1, 45),
            L("Mè xửng Huế", "ocop-qua-tang", "hop", 45_000, 330, 150,
              "Hộp 250 g mè xửng dẻo, nhân đậu phộng, mè rang.", 1, 180),
        ),
        (ocop(4, "OCOP-46-2025-0019", d(2028, 6, 30)),),
    ),
    H(
        "Hộ bà Hồ Thị Lan, vùng quế Trà My", "Hồ Thị Lan", "0396120457", 48, 20900, "Thôn 2, Trà Sơn",
        "Bà Lan người Ca Dong, gia đình trồng quế trên núi Trà My đã bốn đời. Vỏ quế bóc tay, phơi trong bóng "
        "râm để giữ tinh dầu; mật ong lấy từ thùng ong đặt dưới tán rừng.",
        (
            L("Quế Trà My cuộn ống", "gia-vi", "kg", 95_000, 1_060, 150,
              "Vỏ quế dày, cay ngọt, nhiều tinh dầu. Dùng nấu phở, ngâm rượu.", 1, 730),
            L("Tinh dầu quế Trà My", "gia-vi", "chai", 80_000, 120, 100,
              "Chai 50 ml, chưng cất từ lá và cành quế, xông nhà, đuổi muỗi.", 1, 730),
            L("Mật ong rừng Trà My", "mat-ong-dac-san", "chai", 280_000, 780, 50,
              "Chai 500 ml, mật ong nuôi dưới tán rừng quế, vị ngọt ấm.", 1, 730),
            L("Măng le khô", "nam-mang", "goi", 140_000, 530, 70,
              "Gói 500 g, măng le rừng thái lát, luộc và sấy, ngâm nở nhanh.", 1, 365),
        ),
        (ocop(4, "OCOP-48-2024-0093", d(2027, 12, 31)),),
    ),
    H(
        "Vườn rau Trà Quế chú Tám", "Trần Văn Tám", "0905472618", 48, 20401, "Thôn Trà Quế",
        "Làng rau Trà Quế bón rau bằng rong rêu vớt từ sông Cổ Cò, nên rau thơm đậm mùi. Chú Tám trồng hơn mười "
        "loại rau thơm và giao cho các quán ăn phố cổ Hội An.",
        (
            L("Húng quế Trà Quế", "rau-cu", "bo", 12_000, 230, 100,
              "Bó 200 g, lá nhỏ, thơm nồng, ăn kèm mì Quảng, cao lầu.", 2, 2),
            L("Rổ rau thơm Hội An", "rau-cu", "hop", 60_000, 1_150, 40,
              "Khoảng 1 kg gồm húng, tía tô, kinh giới, diếp cá, xà lách, đóng hộp giấy.", 1, 2),
            L("Rau tía tô", "rau-cu", "bo", 10_000, 230, 80,
              "Bó 200 g, lá tím, thơm, ăn sống hoặc nấu cháo giải cảm.", 2, 2),
        ),
        (vietgap("VietGAP-TT-12-05-48-0101", d(2027, 7, 31)),),
    ),
    H(
        "Ruộng tỏi Lý Sơn anh Võ Công", "Võ Công", "0382461097", 51, 21548, "Thôn Đông, An Vĩnh",
        "Tỏi Lý Sơn trồng trên cát biển phủ lên đất núi lửa, tưới nước giếng ngọt. Anh Công còn phơi rong biển "
        "và trồng hành tím giữa hai vụ tỏi.",
        (
            L("Tỏi Lý Sơn", "gia-vi", "kg", 150_000, 1_050, 300,
              "Tỏi tép nhỏ, trắng, thơm dịu, cay nhẹ, không hăng. Đã phơi khô.", 1, 180),
            L("Tỏi cô đơn Lý Sơn", "gia-vi", "hu", 190_000, 620, 80,
              "Hũ 500 g tỏi một nhánh, hiếm, ngâm mật ong hay ăn sống.", 1, 180),
            L("Hành tím Lý Sơn", "gia-vi", "kg", 70_000, 1_040, 120,
              "Củ nhỏ, chắc, thơm, phi lên rất giòn.", 1, 90),
            L("Rong biển Lý Sơn khô", "thuy-hai-san-kho", "goi", 60_000, 130, 100,
              "Gói 100 g rong mứt sấy khô, nấu canh, làm gỏi, chè.", 1, 365),
        ),
        (ocop(4, "OCOP-51-2023-0007", d(2026, 12, 31)), vietgap("VietGAP-TT-10-03-51-0046", d(2027, 3, 31))),
    ),
    H(
        "Lò mạch nha Thi Phổ cô Hạnh", "Phạm Thị Hạnh", "0348106259", 51, 21400, "Thôn Thi Phổ 1",
        "Mạch nha Thi Phổ nấu từ gạo nếp và mầm lúa theo nghề truyền thống hơn trăm năm. Lò của cô Hạnh nấu củi, "
        "mỗi mẻ 10 tiếng, không pha đường.",
        (
            L("Mạch nha Thi Phổ", "ocop-qua-tang", "hu", 55_000, 680, 200,
              "Hũ 500 g, mạch nha trong, dẻo, ngọt dịu, ăn với bánh tráng.", 1, 365),
            L("Đường phổi Quảng Ngãi", "ocop-qua-tang", "goi", 50_000, 530, 100,
              "Gói 500 g đường phổi xốp giòn, ngọt thanh.", 1, 365),
            L("Kẹo gương", "ocop-qua-tang", "hop", 40_000, 280, 150,
              "Hộp 200 g kẹo gương mạch nha đậu phộng, mè.", 1, 180),
        ),
        (ocop(3, "OCOP-51-2024-0122", d(2028, 1, 31)),),
    ),
    H(
        "Vườn nho Ninh Thuận Ba Mến", "Đặng Văn Mến", "0966208437", 56, 22870, "Thôn Thái An",
        "Nắng gió Ninh Thuận cũ giúp nho ngọt và ít bệnh. Vườn Ba Mến trồng nho đỏ, nho xanh, táo xanh, mở cửa cho "
        "khách vào hái tận giàn.",
        (
            L("Nho đỏ Ninh Thuận", "trai-cay", "kg", 60_000, 1_080, 200,
              "Chùm nho đỏ chín đều, chua ngọt, giòn. Cắt theo chùm.", 2, 5),
            L("Nho xanh NH01-48", "trai-cay", "kg", 85_000, 1_080, 150,
              "Quả to, giòn, ngọt đậm, hơi chua ở vỏ.", 1, 5),
            L("Nho sấy khô không đường", "mat-ong-dac-san", "goi", 120_000, 530, 100,
              "Gói 500 g nho đỏ sấy nắng và sấy lạnh, không thêm đường.", 1, 180),
            L("Táo xanh Ninh Thuận", "trai-cay", "kg", 30_000, 1_080, 250,
              "Táo xanh giòn, chua ngọt, chấm muối ớt.", 2, 7),
        ),
        (vietgap("VietGAP-TT-04-06-56-0088", d(2027, 11, 30)), organic("TCVN11041-2024-0265", d(2027, 11, 30))),
    ),
    H(
        "Vườn xoài Úc và nhà yến Cam Lâm", "Lê Minh Quang", "0913670852", 56, 22453, "Thôn Tân Xương",
        "Anh Quang trồng xoài Úc trên đất cát pha Cam Lâm và nuôi chim yến trong căn nhà ba tầng cạnh vườn. "
        "Tổ yến nhặt sạch lông bằng tay.",
        (
            L("Xoài Úc Cam Lâm", "trai-cay", "kg", 55_000, 1_080, 200,
              "Quả tròn, vỏ đỏ hồng, thịt vàng, ít xơ, ngọt thơm.", 2, 7),
            L("Xoài Úc vụ 2027 (đặt trước)", "trai-cay", "kg", 50_000, 1_080, 500,
              "Đặt trước xoài Úc chính vụ tháng 5–7/2027.", 3, 7, (d(2027, 5, 15), d(2027, 7, 15))),
            L("Tổ yến sào tinh chế", "ocop-qua-tang", "hop", 3_200_000, 300, 30,
              "Hộp 100 g tổ yến nhà nuôi đã làm sạch, chưng đường phèn.", 1, 730),
        ),
        (ocop(4, "OCOP-56-2025-0031", d(2028, 8, 31)),),
    ),
]
